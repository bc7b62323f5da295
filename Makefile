# pia: one plain GNU Makefile, no configure step.
#   make / make all     build build/bin/pia
#   make site           install missing Debian packages (as root), build, render content/ into build/site/
#   make check          every test (unit, regress goldens, form files, man pages)
#   make check-sanitize the same tests with ASan + UBSan
#   make bench          release build, time/memory/size tables (tests/bench/run.sh)
#   make clean          remove build/

CC       ?= gcc
PKGS     := libcmark libxml-2.0 harfbuzz-subset icu-uc icu-i18n libmicrohttpd
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

CFLAGS   ?= -O2 -g
CFLAGS   += -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE \
            -Iinclude -I$(GENDIR) $(PKG_CFLAGS) -MMD -MP $(EXTRA_CFLAGS)
LDFLAGS  += $(EXTRA_LDFLAGS)
LDLIBS   += $(PKG_LIBS) -lhpdf -lm -pthread

# Every .c below generator/ is part of pia; main.c holds only main(), so tests can link the rest.
SRCS     := $(shell find generator -name '*.c' | sort)
OBJS     := $(SRCS:%.c=$(OBJDIR)/%.o) $(OBJDIR)/gen/forms_embed.o
LIBOBJS  := $(filter-out $(OBJDIR)/generator/main.o,$(OBJS))
FORMS    := $(sort $(wildcard generator/forms/*.xml))
LINTDATA := $(sort $(wildcard generator/lint/*.xml))

UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BINDIR)/tests/%)

.PHONY: all site check check-sanitize unit regress lint-forms lint-man deps clean regress-update test-tools bench

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

check-sanitize:
	$(MAKE) BUILD=build/san \
	    EXTRA_CFLAGS="-O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	    EXTRA_LDFLAGS="-fsanitize=address,undefined" check

# The npm tools of tests/html.sh (Nu Html Checker, axe-core, playwright-core, pinned in
# package-lock.json), installed into build/npm so the source tree stays clean.  Install
# scripts are skipped: vnu-jar's would download a Java; Debian's Java and Chromium are used.
NPM_DIR  := build/npm
test-tools: $(NPM_DIR)/node_modules/.package-lock.json

$(NPM_DIR)/node_modules/.package-lock.json: package.json package-lock.json
	@mkdir -p $(NPM_DIR)
	cp package.json package-lock.json $(NPM_DIR)/
	cd $(NPM_DIR) && npm ci --ignore-scripts --no-audit --no-fund

# Timings live here, never in make check (issue 11).
bench:
	@sh tests/bench/run.sh

regress-update: all
	@sh tests/regress.sh --update $(PIA)

clean:
	rm -rf build

-include $(shell find $(OBJDIR) -name '*.d' 2>/dev/null)
