// Compiled only to build the precompiled header that the tests of one folder share (see fd_add_qtest).
