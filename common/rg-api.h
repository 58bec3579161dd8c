/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__RCPTGUARD_H_INSIDE__) && !defined(RG_COMPILATION)
#error "Only <rcptguard.h> can be included directly."
#endif

#if defined(RG_COMPILATION) && defined(__GNUC__)
#define RG_API __attribute__((visibility("default")))
#else
#define RG_API
#endif
