// zlib's crc32 (Debian: zlib1g-dev, which ZIPFoundation needs too): ZIPFoundation checks a zip entry's CRC in
// Swift on Linux, at a third of the speed of inflating it; the zip stream checks it with zlib instead.
#include <zlib.h>
