/* Must not compile: a family file (it sees api/ only) including the registry's header. */
#include "bench.h"
#include "registry.h"

int main(void)
{
	return 0;
}
