#include "locks_peers.h"

void lk_register_peers(void)
{
}
