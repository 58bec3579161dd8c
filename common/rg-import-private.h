/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gio/gio.h>

#include "rg-environment.h"
#include "rg-import.h"
#include "rg-policy.h"
#include "rg-store.h"

/* An import in two steps: prepared on the caller's thread, where the policy may be read
 * (whether the source may be read at all, which database it names), then run anywhere, for
 * a long import in a worker thread with a store handle of its own. */
typedef struct _RgImportJob RgImportJob;

RgImportJob *rg_import_source_prepare(RgImportSource *self,
                                      RgPolicy *policy,
                                      RgEnvironment *env,
                                      GPtrArray *identities,
                                      GError **error);
gboolean rg_import_job_run(RgImportJob *job,
                           RgStore *store,
                           GCancellable *cancellable,
                           RgProgressFunc progress,
                           gpointer user_data,
                           RgImportResult *result,
                           GError **error);
gboolean rg_import_job_is_explicit(RgImportJob *job);
void rg_import_job_free(RgImportJob *job);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RgImportJob, rg_import_job_free)
