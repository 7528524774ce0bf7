# Zektra: the two commands a user needs are `make demo` and `make test`.
JOBS ?= $(shell nproc)
BUILD_DIR := build

.PHONY: deps configure build test test-asan demo bench fuzz format clean

deps:
	@bash scripts/install-deps.sh

configure: deps
	@cmake --preset release >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

test-asan: deps
	@cmake --preset asan >/dev/null
	@cmake --build build-asan -j $(JOBS)
	@cd build-asan && ctest --output-on-failure -j $(JOBS)

demo: build
	@bash scripts/demo.sh

bench: build
	@$(BUILD_DIR)/zektra bench core

fuzz: deps
	@cmake --preset fuzz >/dev/null
	@cmake --build build-fuzz -j $(JOBS)
	@for f in build-fuzz/*_fuzz; do echo "== $$f"; $$f -max_total_time=60 || exit 1; done

format:
	@clang-format -i $$(git ls-files '*.h' '*.cc')

clean:
	rm -rf build build-debug build-asan build-fuzz
