/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

#include "rg-api.h"

G_BEGIN_DECLS

/**
 * RgProblemSeverity:
 * @RG_PROBLEM_WARNING: the file is usable as it is, but something in it was ignored (an
 *   unknown key, a user setting a lock overrules)
 * @RG_PROBLEM_ERROR: a line or value could not be used (`rcptguard policy check` fails)
 */
typedef enum {
	RG_PROBLEM_WARNING,
	RG_PROBLEM_ERROR,
} RgProblemSeverity;

/**
 * RgProblem:
 * @file: the file the problem is in
 * @line: its line, 1 for the first; 0 when the problem is the file's as a whole
 * @key: (nullable): the key it concerns
 * @severity: an error or a warning
 * @message: what is wrong, technical and untranslated, such as "unknown key, ignored"
 *
 * One problem found in a policy or settings file. It stays data until it is shown:
 * rg_problem_to_string() gives the compiler-like form editors jump to.
 */
typedef struct {
	char *file;
	guint line;
	char *key;
	RgProblemSeverity severity;
	char *message;
} RgProblem;

#define RG_TYPE_PROBLEM (rg_problem_get_type())
RG_API GType rg_problem_get_type(void);
RG_API RgProblem *rg_problem_new(
    const char *file, guint line, const char *key, RgProblemSeverity severity, const char *message);
RG_API RgProblem *rg_problem_copy(const RgProblem *self);
RG_API void rg_problem_free(RgProblem *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RgProblem, rg_problem_free)
RG_API char *rg_problem_to_string(const RgProblem *self);

G_END_DECLS
