# The two commands of the README. Everything else is CMake (see CMakePresets.json).
#   make bench  - install deps, Release build, default comparison, table + results/*.json
#   make test   - install deps, build, run the test suite in Release, ASan+UBSan, TSan, and a
#                 short libFuzzer run of each fuzz target
#   make suite  - install the suite's programs too, build, `alloclab suite`, report results/suite-*
JOBS ?= $(shell nproc)
BENCH_ARGS ?= --workload churn --threads 2 --iters 300000 --min-size 8 --max-size 256 --keep 75 --touch lines --reps 5

.PHONY: bench test fuzz deps build build-asan build-tsan clean suite

deps:
	@bash tools/install-deps.sh

build: deps
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS)

bench: build
	@mkdir -p results
	@stamp=$$(date +%Y%m%d-%H%M%S); \
	build/bin/alloclab run $(BENCH_ARGS) --json results/churn-$$stamp.json; status=$$?; \
	build/bin/alloclab report results/churn-$$stamp.json --md results/churn-$$stamp.md \
	  --html results/churn-$$stamp.html --csv results/churn-$$stamp.csv && \
	echo "results: results/churn-$$stamp.{json,md,html,csv}"; exit $$status

SUITE_ARGS ?= --reps 5 --warmup 1

suite: build
	@bash tools/install-deps.sh --suite
	@mkdir -p results
	@stamp=$$(date +%Y%m%d-%H%M%S); \
	build/bin/alloclab suite $(SUITE_ARGS) --json results/suite-$$stamp.json; status=$$?; \
	build/bin/alloclab report results/suite-$$stamp.json --md results/suite-$$stamp.md \
	  --html results/suite-$$stamp.html --csv results/suite-$$stamp.csv && \
	echo "results: results/suite-$$stamp.{json,md,html,csv}"; exit $$status

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
