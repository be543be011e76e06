# The two commands of the README. Everything else is CMake (see CMakePresets.json).
#   make bench  - install deps, Release build, default comparison, table + results/*.json
#   make test   - install deps, build, run the test suite in Release, ASan+UBSan, TSan, and a
#                 short libFuzzer run of each fuzz target
#   make suite  - install the suite's programs too, build, `alloclab suite`, report results/suite-*
JOBS ?= $(shell nproc)
BENCH_ARGS ?= --workload churn --threads 2 --iters 1000000 --min-size 8 --max-size 256 --keep 75 --touch lines --reps 5

.PHONY: bench test fuzz deps build build-asan build-tsan clean suite

deps:
	@bash tools/install-deps.sh

build: deps
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS)

# $(call measure,NAME,ALLOCLAB ARGS): alloclab ARGS into results/NAME-STAMP.json, then the
# report of it in every format; the exit status is alloclab's.
define measure
	@mkdir -p results
	@stamp=$$(date +%Y%m%d-%H%M%S); \
	build/bin/alloclab $(2) --json results/$(1)-$$stamp.json; status=$$?; \
	build/bin/alloclab report results/$(1)-$$stamp.json --md results/$(1)-$$stamp.md \
	  --html results/$(1)-$$stamp.html --csv results/$(1)-$$stamp.csv && \
	echo "results: results/$(1)-$$stamp.{json,md,html,csv}"; exit $$status
endef

bench: build
	$(call measure,churn,run $(BENCH_ARGS))

SUITE_ARGS ?= --reps 5 --warmup 1

suite: build
	@bash tools/install-deps.sh --suite
	$(call measure,suite,suite $(SUITE_ARGS))

build-asan: deps
	cmake --preset asan >/dev/null
	cmake --build --preset asan -j $(JOBS)

build-tsan: deps
	cmake --preset tsan >/dev/null
	cmake --build --preset tsan -j $(JOBS) --target alloclab_tests

test: build build-asan build-tsan
	ctest --preset release -j $(JOBS)
	ctest --preset asan
	ctest --preset tsan
	$(MAKE) fuzz

# libFuzzer targets (clang-14 + ASan), a short run each (ALLOCLAB_FUZZ_SECONDS, default 60).
fuzz: deps
	cmake --preset fuzz >/dev/null
	cmake --build --preset fuzz -j $(JOBS)
	ctest --preset fuzz

clean:
	rm -rf build build-debug build-asan build-tsan build-fuzz
