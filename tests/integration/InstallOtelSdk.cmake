# CTest fixture `otel_sdk`: installs the pinned OpenTelemetry JS SDK (otel-sdk/package.json + package-lock.json)
# and its scripts (send.mjs, busy.mjs) into DEST_DIR with `npm ci`. The install is skipped while DEST_DIR/node_modules was made
# from the same lock file, so repeated test runs need no network.
#   cmake -DSOURCE_DIR=... -DDEST_DIR=... -DNPM=/usr/bin/npm -P InstallOtelSdk.cmake
cmake_minimum_required(VERSION 3.21)

foreach(var SOURCE_DIR DEST_DIR NPM)
  if(NOT ${var})
    message(FATAL_ERROR "InstallOtelSdk.cmake needs -D${var}=...")
  endif()
endforeach()

file(MAKE_DIRECTORY "${DEST_DIR}")
foreach(name package.json package-lock.json send.mjs busy.mjs)
  file(COPY_FILE "${SOURCE_DIR}/${name}" "${DEST_DIR}/${name}" ONLY_IF_DIFFERENT)
endforeach()

file(SHA256 "${DEST_DIR}/package-lock.json" lock_hash)
set(stamp "${DEST_DIR}/node_modules/.flightdeck-lock-sha256")
set(installed "")
if(EXISTS "${stamp}")
  file(READ "${stamp}" installed)
endif()

if(installed STREQUAL lock_hash AND EXISTS "${DEST_DIR}/node_modules/@opentelemetry/sdk-trace-base/package.json")
  message(STATUS "OpenTelemetry JS SDK already installed in ${DEST_DIR}")
  return()
endif()

message(STATUS "npm ci in ${DEST_DIR}")
execute_process(
  COMMAND "${NPM}" ci --no-audit --no-fund --prefix "${DEST_DIR}"
  WORKING_DIRECTORY "${DEST_DIR}"
  RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "npm ci failed (${result}) in ${DEST_DIR}")
endif()
file(WRITE "${stamp}" "${lock_hash}")
message(STATUS "OpenTelemetry JS SDK installed in ${DEST_DIR}")
