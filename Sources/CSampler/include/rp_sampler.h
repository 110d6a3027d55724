#ifndef RP_SAMPLER_H
#define RP_SAMPLER_H
#endif
