// The source of the object libraries that precompile TestPrecompiled.h for each test folder (tests/CMakeLists.txt).
