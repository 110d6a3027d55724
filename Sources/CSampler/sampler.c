#include "rp_sampler.h"
