/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

#include "rg-api.h"

G_BEGIN_DECLS

#define RG_TYPE_ENVIRONMENT (rg_environment_get_type())
RG_API
G_DECLARE_FINAL_TYPE(RgEnvironment, rg_environment, RG, ENVIRONMENT, GObject)

/**
 * RgClockFunc:
 * @user_data: what was given with the function
 *
 * Returns: the wall-clock time in microseconds since the epoch, like g_get_real_time()
 */
typedef gint64 (*RgClockFunc)(gpointer user_data);

RG_API RgEnvironment *rg_environment_new(void);
RG_API RgEnvironment *rg_environment_new_empty(void);

RG_API void rg_environment_set_config_home(RgEnvironment *self, const char *dir);
RG_API const char *rg_environment_get_config_home(RgEnvironment *self);
RG_API void rg_environment_set_system_dirs(RgEnvironment *self, const char *const *dirs);
RG_API const char *const *rg_environment_get_system_dirs(RgEnvironment *self);
RG_API void rg_environment_set_config_dirs(RgEnvironment *self, const char *const *dirs);
RG_API const char *const *rg_environment_get_config_dirs(RgEnvironment *self);
RG_API void rg_environment_set_data_home(RgEnvironment *self, const char *dir);
RG_API const char *rg_environment_get_data_home(RgEnvironment *self);
RG_API void rg_environment_set_data_dir(RgEnvironment *self, const char *dir);
RG_API const char *rg_environment_get_data_dir(RgEnvironment *self);
RG_API void rg_environment_set_dialog_helper(RgEnvironment *self, const char *path);
RG_API const char *rg_environment_get_dialog_helper(RgEnvironment *self);
RG_API void rg_environment_set_home(RgEnvironment *self, const char *dir);
RG_API const char *rg_environment_get_home(RgEnvironment *self);
RG_API void rg_environment_set_notmuch_config(RgEnvironment *self, const char *path);
RG_API const char *rg_environment_get_notmuch_config(RgEnvironment *self);
RG_API void rg_environment_set_clock(RgEnvironment *self,
                                     RgClockFunc func,
                                     gpointer user_data,
                                     GDestroyNotify notify);
RG_API gint64 rg_environment_get_real_time(RgEnvironment *self);

RG_API char *rg_environment_get_settings_path(RgEnvironment *self);
RG_API char *rg_environment_get_store_path(RgEnvironment *self);

G_END_DECLS
