# tests/tui/own-binary.mk - link the program into $(O)/virt-winfix instead of
# ./virt-winfix, so TUI tests and benchmarks can run on a private build while
# others use the shared one:
#   make -f Makefile -f tests/tui/own-binary.mk O=build/f build/f/virt-winfix
$(O)/virt-winfix: $(UI_OBJ) $(LIBCORE)
	$(call say,LINK)$(CC) $(LDFLAGS) -o $@ $(UI_OBJ) $(LIBCORE) $(PKG_LIBS) $(LIBS)
