// The headers every test executable parses: precompiled once per test folder (fd_add_qtest), which takes
// ~4 s of parsing off each test's compile. Only system headers: a change to our own code must not rebuild it.
#pragma once

#include <QtTest>
#include <QtWidgets>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>
