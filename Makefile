# slant: library, CLI, tests, sanitizer and fuzz builds.
#   make              library + CLI in build/
#   make test         build and run every tests/test_*.c
#   make sanitize     the same tests under ASan + UBSan (build-san/)
#   make fuzz         libFuzzer targets (clang), long runs: FUZZ_SECONDS=600
#   make install PREFIX=/usr/local
# WERROR=1 turns warnings into errors (CI sets it).

CC      ?= cc
PREFIX  ?= /usr/local
BUILD   ?= build
OPT     ?= -O3 -g   # -O3 vectorises integer loops; no -ffast-math, so results are bit-identical to -O2
WARN    := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wconversion
ifeq ($(WERROR),1)
WARN    += -Werror
endif
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Iinclude -Isrc \
            -DSLANT_PREFIX='"$(PREFIX)"'
CFLAGS  += $(OPT) $(WARN) -fPIC -pthread
LDLIBS  += -lutf8proc -lstemmer -llbfgs -lcjson -lmicrohttpd -ldeflate -lz -lm -lpthread

LIB_SRC  := $(sort $(wildcard src/*.c src/util/*.c))
CLI_SRC  := $(sort $(wildcard cli/*.c))
TEST_SRC := $(sort $(wildcard tests/test_*.c))
BENCH_SRC:= $(sort $(wildcard bench/bench_*.c))
FUZZ_SRC := $(sort $(wildcard fuzz/fuzz_*.c))

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/assets.o
WEB_ASSETS := web/report.html web/report.css web/report.js web/serve.html web/serve.js
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
TESTS    := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
BENCHES  := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

all: $(BUILD)/libslant.a $(BUILD)/libslant.so $(BUILD)/slant $(BUILD)/examples/analyze_file

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

# web/ files compiled into the library (src/report_assets.h).
$(BUILD)/gen/assets.c: $(WEB_ASSETS) scripts/embed-assets.sh
	@mkdir -p $(dir $@)
	sh scripts/embed-assets.sh $@ $(WEB_ASSETS)

$(BUILD)/gen/assets.o: $(BUILD)/gen/assets.c src/report_assets.h
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/libslant.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/libslant.so: $(LIB_OBJ)
	$(CC) -shared -o $@ $^ $(LDFLAGS) $(LDLIBS)

$(BUILD)/slant: $(CLI_OBJ) $(BUILD)/libslant.a
	$(CC) $(CFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libslant.a $(LDFLAGS) $(LDLIBS)

# examples/analyze_file.c sees only the public header, as an embedding program would.
$(BUILD)/examples/analyze_file: examples/analyze_file.c include/slant.h $(BUILD)/libslant.a
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude $(OPT) $(WARN) -o $@ $< $(BUILD)/libslant.a $(LDFLAGS) $(LDLIBS)

$(BUILD)/tests/%: tests/%.c tests/test.h $(BUILD)/libslant.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Wno-missing-prototypes -o $@ $< $(BUILD)/libslant.a $(LDFLAGS) $(LDLIBS)

$(BUILD)/bench/%: bench/%.c bench/bench_common.h $(BUILD)/libslant.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Wno-missing-prototypes -o $@ $< $(BUILD)/libslant.a $(LDFLAGS) $(LDLIBS)

# Unit tests, then the CLI tests (tests/cli.sh) against the built binary.
test: all $(TESTS)
	@BUILD=$(BUILD) sh tests/run.sh $(TESTS)

# ASan + UBSan build of the whole suite in its own folder.
sanitize:
	$(MAKE) BUILD=build-san OPT="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all" \
	    LDFLAGS="-fsanitize=address,undefined" test

FUZZ_SECONDS ?= 600
FUZZ_RUNS ?=
fuzz:
	@sh fuzz/run.sh "$(FUZZ_SECONDS)" "$(FUZZ_RUNS)"

# Short fixed-iteration fuzz runs for CI.
fuzz-ci:
	@sh fuzz/run.sh 0 20000

# Everything CI checks: warnings as errors, unit + CLI tests, the same tests
# under ASan/UBSan, short fuzz runs and valgrind on the CLI.
check:
	$(MAKE) WERROR=1 test
	$(MAKE) WERROR=1 sanitize
	$(MAKE) fuzz-ci
	sh tests/valgrind.sh

bench: all $(BENCHES)
	@sh bench/run.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include \
	    $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/share/slant $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BUILD)/slant $(DESTDIR)$(PREFIX)/bin/slant
	install -m 644 $(BUILD)/libslant.a $(DESTDIR)$(PREFIX)/lib/libslant.a
	install -m 755 $(BUILD)/libslant.so $(DESTDIR)$(PREFIX)/lib/libslant.so
	install -m 644 include/slant.h $(DESTDIR)$(PREFIX)/include/slant.h
	install -m 644 docs/slant.1 $(DESTDIR)$(PREFIX)/share/man/man1/slant.1
	if [ -f models/default.slant ]; then install -m 644 models/default.slant $(DESTDIR)$(PREFIX)/share/slant/default.slant; fi
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(shell sed -n 's/.*SLANT_VERSION_STRING "\(.*\)"/\1/p' include/slant.h)|g' \
	    slant.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/slant.pc

clean:
	rm -rf build build-san build-fuzz

.PHONY: all test sanitize fuzz fuzz-ci check bench install clean
-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)
