# pia: one plain GNU Makefile, no configure step.
#   make / make all     build build/bin/pia
#   make site           install missing Debian packages (as root), build, render content/ into build/site/
#   make check          every test (unit, regress goldens, form files, man pages)
#   make check-sanitize the same tests with ASan + UBSan
#   make bench          release build, time/memory/size tables (tests/bench/run.sh), the 300-report city (city.sh)
#   make fuzz           libFuzzer targets of tests/fuzz, FUZZ_SECONDS (20) each
#   make install        install pia, its default theme and man pages under $(DESTDIR)$(PREFIX)
#   make uninstall      remove what make install wrote
#   make clean          remove build/

CC       ?= gcc
PKGS     := libcmark libxml-2.0 harfbuzz-subset icu-uc icu-i18n libmicrohttpd zlib poppler-glib
# Debian 12 packages the build and the tests need (one list, also read by .ci/run);
# `make deps` (and `make site`) installs the missing ones when run as root.
DEB_PKGS := $(shell cat tools/debian-packages.txt)

BUILD    ?= build
OBJDIR   := $(BUILD)/obj
BINDIR   := $(BUILD)/bin
GENDIR   := $(BUILD)/gen
PIA      := $(BINDIR)/pia

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

# Hardening: stack protector, position-independent executable, read-only
# relocations bound at start (RELRO, BIND_NOW); FORTIFY_SOURCE only in the
# optimised build, not with the sanitizers (their -O1 and interceptors).
HARDEN_CFLAGS  := -fstack-protector-strong -fPIE
HARDEN_LDFLAGS := -pie -Wl,-z,relro,-z,now
ifeq ($(findstring -fsanitize,$(EXTRA_CFLAGS)),)
HARDEN_CFLAGS  += -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=2
endif

CFLAGS   ?= -O2 -g
CFLAGS   += -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE $(HARDEN_CFLAGS) \
            -Iinclude -I$(GENDIR) $(PKG_CFLAGS) -MMD -MP $(EXTRA_CFLAGS) \
            -DPIA_DATADIR='"$(PREFIX)/share/pia"'
LDFLAGS  += $(HARDEN_LDFLAGS) $(EXTRA_LDFLAGS)
LDLIBS   += $(PKG_LIBS) -lhpdf -lm -pthread

# Every .c below generator/ is part of pia; main.c holds only main(), so tests can link the rest.
SRCS     := $(shell find generator -name '*.c' | sort)
OBJS     := $(SRCS:%.c=$(OBJDIR)/%.o) $(OBJDIR)/gen/forms_embed.o
LIBOBJS  := $(filter-out $(OBJDIR)/generator/main.o,$(OBJS))
FORMS    := $(sort $(wildcard generator/forms/*.xml))
LINTDATA := $(sort $(wildcard generator/lint/*.xml))

UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BINDIR)/tests/%)

# libFuzzer targets (tests/fuzz/fuzz_*.c), built with clang into build/fuzz.
FUZZ_TARGETS := xml markdown wareki import linebreak
FUZZ_BINS    := $(FUZZ_TARGETS:%=$(BINDIR)/fuzz_%)
FUZZ_SECONDS ?= 20

.PHONY: install uninstall all site check check-sanitize unit regress lint-forms lint-man deps clean regress-update test-tools fuzz fuzz-deps fuzz-bins fuzz-replay bench

all: $(PIA)

# V=1 shows the full compiler command lines.
ifeq ($(V),1)
Q :=
else
Q := @
endif

$(PIA): $(OBJS)
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

$(OBJDIR)/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<

# The 様式 files and the schemas are compiled into the binary, so build/bin/pia runs from anywhere.
$(GENDIR)/forms_embed.c: tools/embed.sh $(FORMS) $(LINTDATA) generator/forms/form.rng generator/load/site.rng generator/load/changes.rng generator/changes/change-words.xml
	@mkdir -p $(@D)
	@echo "  EMBED   $@"
	$(Q)sh tools/embed.sh $(FORMS) $(LINTDATA) generator/forms/form.rng generator/load/site.rng generator/load/changes.rng generator/changes/change-words.xml > $@.tmp && mv $@.tmp $@

$(OBJDIR)/gen/forms_embed.o: $(GENDIR)/forms_embed.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<

$(BINDIR)/tests/%: tests/unit/%.c $(LIBOBJS)
	@mkdir -p $(@D)
	@echo "  TEST    $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -Itests/unit -o $@ $< $(LIBOBJS) $(LDLIBS)

deps:
	@sh tools/deps.sh $(DEB_PKGS)

site: deps
	$(MAKE) all
	$(PIA) build content -o $(BUILD)/site

check: all $(UNIT_BINS)
	@sh tests/run.sh $(PIA) $(UNIT_BINS)

# The Nu and axe checks of tests/html.sh are skipped here: the sanitized pia
# writes the same bytes, which make check has checked (saves ~2 minutes of CI);
# so is the Debian package build of tests/install.sh (its own flags, not the sanitizers').
check-sanitize:
	PIA_SKIP_BROWSER=1 PIA_SKIP_DEB=1 PIA_SANITIZED=1 $(MAKE) BUILD=build/san \
	    EXTRA_CFLAGS="-O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	    EXTRA_LDFLAGS="-fsanitize=address,undefined" check

# make fuzz [FUZZ_SECONDS=20]: each target for that long, from the seeds and
# found cases in tests/fuzz/corpus/NAME; new inputs go to build/fuzz/corpus/NAME,
# a crash to build/fuzz/crash/NAME/ (keep it in tests/fuzz/corpus/NAME once fixed).
# make fuzz-replay: only run the kept corpus through every target.
FUZZ_MAKE = $(MAKE) BUILD=build/fuzz CC=clang \
	    EXTRA_CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all -Wno-error" \
	    EXTRA_LDFLAGS="-fsanitize=address,undefined"

# clang and its fuzzer runtime are for make fuzz only (not needed by CI): installed here when root.
fuzz-deps:
	@sh tools/deps.sh $$(cat tests/fuzz/debian-packages.txt)

fuzz: fuzz-deps
	$(FUZZ_MAKE) fuzz-bins
	@for t in $(FUZZ_TARGETS); do \
	    mkdir -p build/fuzz/corpus/$$t build/fuzz/crash/$$t && \
	    echo "  FUZZ    $$t ($(FUZZ_SECONDS) s)" && \
	    build/fuzz/bin/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=20 \
	        -rss_limit_mb=3072 -print_final_stats=1 -artifact_prefix=build/fuzz/crash/$$t/ \
	        build/fuzz/corpus/$$t tests/fuzz/corpus/$$t 2>build/fuzz/$$t.log; \
	    rc=$$?; grep -E '^stat::(number_of_executed_units|average_exec_per_sec)|^(==|SUMMARY)' build/fuzz/$$t.log; \
	    [ $$rc = 0 ] || { tail -40 build/fuzz/$$t.log; exit 1; }; \
	done

fuzz-replay: fuzz-deps
	$(FUZZ_MAKE) fuzz-bins
	@for t in $(FUZZ_TARGETS); do \
	    build/fuzz/bin/fuzz_$$t -runs=0 tests/fuzz/corpus/$$t 2>build/fuzz/$$t.log || \
	    { tail -40 build/fuzz/$$t.log; exit 1; }; echo "  REPLAY  $$t ok"; \
	done

fuzz-bins: $(FUZZ_BINS)

$(BINDIR)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_util.h $(LIBOBJS)
	@mkdir -p $(@D)
	@echo "  FUZZER  $@"
	$(Q)$(CC) $(CFLAGS) -fsanitize=fuzzer $(LDFLAGS) -o $@ $< $(LIBOBJS) $(LDLIBS)

# The npm tools of tests/html.sh (Nu Html Checker, axe-core, playwright-core, pinned in
# package-lock.json), installed into build/npm so the source tree stays clean.  Install
# scripts are skipped: vnu-jar's would download a Java; Debian's Java and Chromium are used.
NPM_DIR  := build/npm
test-tools: $(NPM_DIR)/node_modules/.package-lock.json

$(NPM_DIR)/node_modules/.package-lock.json: package.json package-lock.json
	@mkdir -p $(NPM_DIR)
	cp package.json package-lock.json $(NPM_DIR)/
	cd $(NPM_DIR) && npm ci --ignore-scripts --no-audit --no-fund

# make install [PREFIX=/usr/local] [DESTDIR=…]: the binary, the default theme
# (found by the binary at ../share/pia/themes/default beside its bin/ folder,
# else at the PREFIX it was built for) and the man pages, English and Japanese.
PREFIX      ?= /usr/local
INST_BIN    := $(DESTDIR)$(PREFIX)/bin
INST_DATA   := $(DESTDIR)$(PREFIX)/share/pia
INST_MAN    := $(DESTDIR)$(PREFIX)/share/man
THEME_FILES := $(shell find themes/default -type f | sort)
MAN_EN      := generator/man/pia.1 generator/man/pia.5 generator/man/pia-forms.5
MAN_JA      := $(wildcard generator/man/ja/*.[15])

install: all
	install -d $(INST_BIN) $(INST_MAN)/man1 $(INST_MAN)/man5
	install -m 755 $(PIA) $(INST_BIN)/pia
	@for f in $(THEME_FILES); do \
	    install -D -m 644 $$f $(INST_DATA)/$$f || exit 1; \
	done
	install -m 644 generator/man/pia.1 $(INST_MAN)/man1/pia.1
	install -m 644 generator/man/pia.5 generator/man/pia-forms.5 $(INST_MAN)/man5/
	@for f in $(MAN_JA); do \
	    s=$${f##*.}; install -D -m 644 $$f $(INST_MAN)/ja/man$$s/$${f##*/} || exit 1; \
	done

uninstall:
	rm -f $(INST_BIN)/pia $(INST_MAN)/man1/pia.1 $(INST_MAN)/man5/pia.5 $(INST_MAN)/man5/pia-forms.5
	rm -f $(foreach f,$(MAN_JA),$(INST_MAN)/ja/man$(subst .,,$(suffix $(f)))/$(notdir $(f)))
	rm -rf $(INST_DATA)

# Timings live here, never in make check (issue 11).
bench:
	@sh tests/bench/run.sh
	@sh tests/bench/city.sh

regress-update: all
	@sh tests/regress.sh --update $(PIA)

clean:
	rm -rf build

# Header dependencies written by -MMD -MP: objects, unit test binaries and fuzz
# targets (compiled and linked in one step, so their .d sits next to the binary).
-include $(OBJS:.o=.d) $(UNIT_BINS:=.d) $(FUZZ_BINS:=.d)
