// Deliberately impure: the purity check must reject this file (see tests/CMakeLists.txt).
#include <fstream>
