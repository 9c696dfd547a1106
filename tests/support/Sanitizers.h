#pragma once
// FD_ADDRESS_SANITIZER is 1 in an AddressSanitizer build, with gcc (__SANITIZE_ADDRESS__) or clang (__has_feature).
#if defined(__SANITIZE_ADDRESS__)
#define FD_ADDRESS_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FD_ADDRESS_SANITIZER 1
#endif
#endif
#ifndef FD_ADDRESS_SANITIZER
#define FD_ADDRESS_SANITIZER 0
#endif
