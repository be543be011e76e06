// The inputs `alloclab suite` writes for its programs: generated text, the same for the same
// scale on every machine (a fixed-seed generator, no clock, no download), each shaped to make its
// program allocate the way real use does.
#pragma once

#include <cstdint>
#include <string>

namespace alloclab::suite {

// Lua 5.4: rounds of record tables, string building and splitting, and closures, dropped each round.
std::string lua_script(unsigned scale);
// Python 3: rounds of lists of dicts, JSON dump and load, index dicts, string splitting and sets.
std::string python_script(unsigned scale);
// sqlite3: a table filled by INSERT statements in a transaction, an index, GROUP BY with
// group_concat, a self-join and an ORDER BY over a computed text.
std::string sql_script(unsigned scale);
// A C++ compiler: a template-heavy translation unit: `scale` families of variants, maps of tuples,
// std::function vectors and recursive class templates.
std::string cpp_unit(unsigned scale);
// z3: a satisfiable-or-not QF_LIA problem: `scale` bounded integers under random 3-literal
// disjunctions of linear comparisons, near the hard ratio of clauses to variables.
std::string smt_problem(unsigned scale);
// Ghostscript: `scale` pages of filled Bézier shapes and text in several fonts.
std::string postscript_pages(unsigned scale);

}  // namespace alloclab::suite
