# virt-winfix - offline repair wizard for Windows guests on KVM/QEMU.
#
#   make            build ./virt-winfix
#   make check      install missing build dependencies, build, run every test
#   make demo       install missing dependencies, build the demo image, open it
#   make deps       only the dependency step
#   make SANITIZE=1 check   the same suite under AddressSanitizer + UBSan
#   make check-long kill -9 and fault-injection runs on scenario images (long)
#   make fuzz-long  every fuzz target for 10 million executions
#
# Objects go to build/ (build/san/ with SANITIZE=1), so both can coexist.

PKGS      := ncursesw libguestfs hivex blkid json-c libxml-2.0 libcrypto libvirt liblzma zlib
TEST_PKGS := cmocka
# Debian packages that provide the above, plus what the appliance needs.
DEB_PKGS  := build-essential pkg-config libncurses-dev libguestfs-dev cabextract xorriso \
	     libhivex-dev libblkid-dev libjson-c-dev libxml2-dev libcmocka-dev libvterm-dev \
	     libguestfs-tools linux-image-amd64 ntfs-3g qemu-utils tmux python3 \
	     gcc-mingw-w64 wine64 wine libssl-dev openssl \
	     libvirt-dev libvirt-daemon-system libvirt-clients \
	     libwim-dev wimtools mtools libhivex-bin osslsigncode liblzma-dev zlib1g-dev

O := build$(if $(SANITIZE),/san)

CC      ?= cc
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
WARN    := -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wformat=2
comma   := ,
SAN     := -fsanitize=address$(comma)undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT     := $(if $(SANITIZE),-O1 $(SAN),-O2)
CFLAGS  += -std=gnu11 -g $(OPT) $(WARN) -D_GNU_SOURCE -MMD -MP
LDFLAGS += $(if $(SANITIZE),$(SAN))
# wimlib: linked directly (its .pc file requires ntfs-3g and fuse .pc files
# that only their -dev packages ship, and wimlib.h needs no flags).
LIBS    := -lwim -lpthread
# `make V=1` shows the full commands.
Q       := $(if $(V),,@)
say      = $(if $(V),,@echo "  $(1)	$@";)

# The rooms.  core/ is a library in layers, each of which may include only
# the layers before it: a file's include path is its own layer and those
# below, so an upward include is a compile error.  core is built without the
# curses flags and without any front-end folder on its include path.
CORE_LAYERS := base formats facts guest diagnose change fix media
layer_inc    = $(foreach l,$(wordlist 1,$(call layer_pos,$(1)),$(CORE_LAYERS)),-Icore/$(l))
layer_pos    = $(words $(call upto,$(1),$(CORE_LAYERS)))
upto         = $(if $(filter $(1),$(firstword $(2))),$(1),$(firstword $(2)) $(call upto,$(1),$(wordlist 2,99,$(2))))
CORE_INC    := $(call layer_inc,media)
CORE_SRC    := $(foreach l,$(CORE_LAYERS),$(wildcard core/$(l)/*.c))
CORE_OBJ    := $(CORE_SRC:%.c=$(O)/%.o)
CORE_CFLAGS  = $(shell pkg-config --cflags libguestfs hivex blkid json-c libxml-2.0 libcrypto libvirt liblzma zlib 2>/dev/null)
# Front ends: the curses toolkit knows only curses and core/base; the command
# line and the wizard see all of core; screens are the wizard's steps.
TK_INC      := -Icore/base -Itui/toolkit
UI_INC      := $(CORE_INC) -Itui/toolkit -Itui/cli -Itui/wizard -Iscreens -Ihelp
TK_SRC      := $(wildcard tui/toolkit/*.c)
UI_SRC      := $(wildcard tui/cli/*.c tui/wizard/*.c screens/*.c help/*.c)
UI_OBJ      := $(TK_SRC:%.c=$(O)/%.o) $(UI_SRC:%.c=$(O)/%.o) $(O)/help_data.o
HELP_SRC   := $(sort $(wildcard help/*.txt help/findings/*.txt help/screens/*.txt help/fixes/*.txt))
UNIT_SRC   := $(wildcard tests/unit/test_*.c)
UNIT_BIN   := $(UNIT_SRC:tests/unit/%.c=$(O)/tests/%)
KIT_SRC    := $(wildcard tests/kit/*.c)
KIT_BIN    := $(O)/kit/mkhive $(O)/kit/mkpe $(O)/kit/mkimages $(O)/kit/hiveget
# pty helper of the wizard's tests (libvterm); see tests/tui/ptyrun.c
PTYRUN     := $(O)/tests/tui/ptyrun
LIBCORE    := $(O)/libwinfix.a
# Programs that run inside the guest (win/README.md), cross-built with
# mingw-w64 and embedded in libwinfix as C arrays (build/win/embedded.c).
MINGW_x64  ?= x86_64-w64-mingw32-gcc
MINGW_x86  ?= i686-w64-mingw32-gcc
WIN_CFLAGS := -std=gnu11 -Os -s -static -municode $(WARN) -D_WIN32_WINNT=0x0600 -DUNICODE \
	      -D_UNICODE -Wl,--no-insert-timestamp
WIN_EXE    := $(O)/win/wfboot-x64.exe $(O)/win/wfboot-x86.exe
WIN_OBJ    := $(O)/win/embedded.o

.PHONY: all check check-long demo deps test-build clean fuzz fuzz-long bench install FORCE
.DEFAULT_GOAL := all

all: virt-winfix

# Linked in $(O) and copied up when it differs: ./virt-winfix is always the
# build of this make's mode, even when the other mode's objects are newer
# (make SANITIZE=1, then make: the plain objects alone would not relink).
virt-winfix: $(O)/virt-winfix FORCE
	$(Q)cmp -s $< $@ || { rm -f $@ && cp $< $@; }

$(O)/virt-winfix: $(UI_OBJ) $(LIBCORE)
	$(call say,LINK)$(CC) $(LDFLAGS) -o $@ $(UI_OBJ) $(LIBCORE) $(PKG_LIBS) $(LIBS)

FORCE:

$(LIBCORE): $(CORE_OBJ) $(WIN_OBJ)
	@mkdir -p $(@D)
	$(call say,AR)rm -f $@ && ar rcs $@ $^

define core_layer_rule
$(O)/core/$(1)/%.o: core/$(1)/%.c
	@mkdir -p $$(@D)
	$$(call say,CC)$$(CC) $$(CFLAGS) $(call layer_inc,$(1)) $$(CORE_CFLAGS) -c -o $$@ $$<
endef
$(foreach l,$(CORE_LAYERS),$(eval $(call core_layer_rule,$(l))))

$(O)/tui/toolkit/%.o: tui/toolkit/%.c
	@mkdir -p $(@D)
	$(call say,CC)$(CC) $(CFLAGS) $(TK_INC) $(shell pkg-config --cflags ncursesw) -c -o $@ $<

$(O)/%.o: %.c
	@mkdir -p $(@D)
	$(call say,CC)$(CC) $(CFLAGS) $(UI_INC) $(PKG_CFLAGS) -c -o $@ $<

-include $(shell find $(O) -name '*.d' 2>/dev/null)

# The guest programs: one mingw-w64 build per architecture, no binary in git.
$(O)/win/wfboot-%.exe: win/wfboot.c
	@mkdir -p $(@D)
	$(call say,MINGW)$(MINGW_$*) $(WIN_CFLAGS) -o $@ $< -ladvapi32

$(O)/win/embedded.c: $(WIN_EXE) win/embed.sh
	$(call say,GEN)sh win/embed.sh wf_wfboot_x64=$(O)/win/wfboot-x64.exe \
		wf_wfboot_x86=$(O)/win/wfboot-x86.exe > $@.tmp && mv $@.tmp $@

$(O)/win/embedded.o: $(O)/win/embedded.c
	$(call say,CC)$(CC) $(CFLAGS) -c -o $@ $<

# Help texts and the man page are compiled into the binary.
$(O)/help_data.c: $(HELP_SRC) help/virt-winfix.1 help/embed.awk
	@mkdir -p $(@D)
	$(call say,GEN)awk -f help/embed.awk $(HELP_SRC) help/virt-winfix.1 > $@.tmp && mv $@.tmp $@

$(O)/help_data.o: $(O)/help_data.c
	$(call say,CC)$(CC) $(CFLAGS) -Ihelp -c -o $@ $<

# Unit tests: one cmocka program per tests/unit/test_*.c.
# The toolkit's also links the widgets it tests, and nothing of the wizard.
TOOLKIT_OBJ := $(TK_SRC:%.c=$(O)/%.o)
$(O)/tests/test_toolkit: tests/unit/test_toolkit.c $(TOOLKIT_OBJ) $(LIBCORE) $(wildcard tests/unit/*.h)
	@mkdir -p $(@D)
	$(call say,TEST)$(CC) $(CFLAGS) $(TK_INC) $(PKG_CFLAGS) -Itests/unit -o $@ $< $(TOOLKIT_OBJ) $(LIBCORE) \
		$(PKG_LIBS) $(shell pkg-config --libs $(TEST_PKGS)) $(LIBS)

# The id/help test also links the compiled-in help and its lookup.
$(O)/tests/test_ids: tests/unit/test_ids.c $(O)/help_data.o $(O)/help/help.o $(LIBCORE)
	@mkdir -p $(@D)
	$(call say,TEST)$(CC) $(CFLAGS) $(CORE_INC) -Ihelp $(PKG_CFLAGS) -Itests/unit -o $@ $< \
		$(O)/help_data.o $(O)/help/help.o $(LIBCORE) \
		$(PKG_LIBS) $(shell pkg-config --libs $(TEST_PKGS)) $(LIBS)

$(O)/tests/%: tests/unit/%.c $(LIBCORE) $(wildcard tests/unit/*.h)
	@mkdir -p $(@D)
	$(call say,TEST)$(CC) $(CFLAGS) $(CORE_INC) $(PKG_CFLAGS) -Itests/unit -o $@ $< $(LIBCORE) \
		$(PKG_LIBS) $(shell pkg-config --libs $(TEST_PKGS)) $(LIBS)

# Test kit: hive writer, PE writer, image builder.
$(O)/kit/%: tests/kit/%.c $(wildcard tests/kit/*.h) $(O)/kit/kitlib.o $(O)/kit/kitlog.o $(LIBCORE)
	@mkdir -p $(@D)
	$(call say,KIT)$(CC) $(CFLAGS) $(CORE_INC) $(PKG_CFLAGS) -Itests/kit -o $@ $< $(O)/kit/kitlib.o $(O)/kit/kitlog.o \
		$(LIBCORE) $(PKG_LIBS) $(LIBS)

$(O)/kit/kitlib.o $(O)/kit/kitlog.o: $(O)/kit/%.o: tests/kit/%.c $(wildcard tests/kit/*.h)
	@mkdir -p $(@D)
	$(call say,CC)$(CC) $(CFLAGS) $(CORE_INC) $(PKG_CFLAGS) -Itests/kit -c -o $@ $<

test-build: virt-winfix $(UNIT_BIN) $(KIT_BIN) $(PTYRUN)

$(PTYRUN): tests/tui/ptyrun.c
	@mkdir -p $(@D)
	$(call say,CC)$(CC) $(CFLAGS) $(shell pkg-config --cflags vterm 2>/dev/null) -o $@ $< \
		$(shell pkg-config --libs vterm 2>/dev/null || echo -lvterm) -lutil

deps:
	@missing=""; \
	for p in $(PKGS) $(TEST_PKGS) vterm; do \
		pkg-config --exists $$p 2>/dev/null || missing="$$missing $$p"; done; \
	command -v guestfish >/dev/null 2>&1 || missing="$$missing guestfish"; \
	command -v qemu-img >/dev/null 2>&1 || missing="$$missing qemu-img"; \
	for c in tmux cabextract xorriso openssl $(MINGW_x64) $(MINGW_x86) wine virsh mcopy wimlib-imagex hivexget osslsigncode; do command -v $$c >/dev/null 2>&1 || missing="$$missing $$c"; done; \
	command -v python3 >/dev/null 2>&1 || missing="$$missing python3"; \
	ls /boot/vmlinuz-* >/dev/null 2>&1 || missing="$$missing kernel"; \
	[ -e /usr/sbin/libvirtd ] || [ -e /sbin/libvirtd ] || missing="$$missing libvirtd"; \
	[ -e /usr/include/wimlib.h ] || missing="$$missing libwim-dev"; \
	[ -e /sbin/mkntfs ] || [ -e /usr/sbin/mkntfs ] || [ -e /usr/bin/mkntfs ] || missing="$$missing mkntfs"; \
	if [ -z "$$missing" ]; then echo "deps: all present"; exit 0; fi; \
	echo "deps: missing:$$missing"; \
	if [ "$$(id -u)" != 0 ]; then \
		echo "deps: run as root:"; \
		echo "  apt-get update && apt-get install -y $(DEB_PKGS)"; exit 1; fi; \
	export DEBIAN_FRONTEND=noninteractive; \
	apt-get update && apt-get install -y --no-install-recommends $(DEB_PKGS) \
		|| { echo "deps: apt-get failed"; exit 1; }

check: deps
	$(MAKE) test-build
	O=$(O) bash tests/run

fuzz: deps
	O=$(O) bash tests/fuzz/run

# The long tests (tests/long/*.sh): kill -9 at random moments of a fix
# (KILL_RUNS, 20) and fault injection by count on the real image path.
check-long: deps
	$(MAKE) test-build
	@rc=0; for t in tests/long/*.sh; do echo "== $$t"; \
		O=$(O) WF=./virt-winfix IMAGES=build/images bash $$t | tee $(O)/long-$$(basename $$t .sh).log; \
		grep -q '^FAIL' $(O)/long-$$(basename $$t .sh).log && rc=1; done; exit $$rc

# Every fuzz target for 10 million executions (FUZZ_RUNS), inputs up to
# 4 MB, under ASan/UBSan; FUZZ_SECONDS bounds each target's time if set.
fuzz-long: deps
	$(MAKE) test-build
	O=$(O) bash tests/fuzz/run --long

bench: deps
	$(MAKE) test-build
	O=$(O) bash tests/bench/run

demo: deps
	$(MAKE) virt-winfix $(KIT_BIN)
	O=$(O) bash tests/demo

clean:
	rm -rf build virt-winfix

PREFIX ?= /usr/local
install: virt-winfix
	install -D -m 0755 virt-winfix $(DESTDIR)$(PREFIX)/bin/virt-winfix
	install -D -m 0644 help/virt-winfix.1 $(DESTDIR)$(PREFIX)/share/man/man1/virt-winfix.1
	install -D -m 0644 completion/virt-winfix.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/virt-winfix
