#pragma once
// Moved to models/ so that item models can page off the GUI thread too.
#include "models/JobRunner.h"
