/* Must not compile: an analysis file (it links contend_analysis only) including a measuring
 * header. tests/layers/CMakeLists.txt expects the build of this file to fail on the include. */
#include "report.h"
#include "topology.h"

int main(void)
{
	return 0;
}
