// PLACEHOLDER: being written by a helper; replaced before any commit.
#include "core/plugin/plugin_registry.hpp"
