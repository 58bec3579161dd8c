/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A problem in a policy file, as data: the file, line, key, severity and message, formatted
 * only where it is shown. */
#include "config.h"

#include "rg-problem.h"

G_DEFINE_BOXED_TYPE(RgProblem, rg_problem, rg_problem_copy, rg_problem_free)

/**
 * rg_problem_new:
 * @file: the file
 * @line: the line, or 0
 * @key: (nullable): the key
 * @severity: an error or a warning
 * @message: what is wrong
 *
 * Returns: (transfer full): a new problem; the strings are copied
 */
RgProblem *
rg_problem_new(
    const char *file, guint line, const char *key, RgProblemSeverity severity, const char *message)
{
	RgProblem *self = g_new0(RgProblem, 1);

	g_return_val_if_fail(file != NULL && message != NULL, NULL);
	self->file = g_strdup(file);
	self->line = line;
	self->key = g_strdup(key);
	self->severity = severity;
	self->message = g_strdup(message);
	return self;
}

/**
 * rg_problem_copy:
 * @self: an #RgProblem
 *
 * Returns: (transfer full): a copy of @self
 */
RgProblem *
rg_problem_copy(const RgProblem *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return rg_problem_new(self->file, self->line, self->key, self->severity, self->message);
}

/**
 * rg_problem_free:
 * @self: (nullable): an #RgProblem
 */
void
rg_problem_free(RgProblem *self)
{
	if (self == NULL)
		return;
	g_free(self->file);
	g_free(self->key);
	g_free(self->message);
	g_free(self);
}

/**
 * rg_problem_to_string:
 * @self: an #RgProblem
 *
 * Returns: (transfer full): "FILE:LINE: key: message", without the line when it is 0 and
 *   without the key when there is none, as compilers print problems
 */
char *
rg_problem_to_string(const RgProblem *self)
{
	GString *str;

	g_return_val_if_fail(self != NULL, NULL);
	str = g_string_new(self->file);
	if (self->line > 0)
		g_string_append_printf(str, ":%u", self->line);
	g_string_append(str, ": ");
	if (self->key != NULL)
		g_string_append_printf(str, "%s: ", self->key);
	g_string_append(str, self->message);
	return g_string_free(str, FALSE);
}
