// The harness writes results through the results model (model/): its Row, its document writer
// and its atomic writer. These names keep the harness's and the tools' spelling.
#pragma once

#include "model/atomic_file.hpp"
#include "model/document.hpp"
#include "model/row.hpp"
#include "measure.hpp"

namespace alloclab {

using model::check_writable;
using model::measurement_from_json;
using model::measurement_to_json;
using model::results_document;
using model::Row;
using model::write_file_atomically;

}  // namespace alloclab
