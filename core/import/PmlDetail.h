#pragma once

#include "import/PmlBytes.h"
#include "import/PmlLog.h"

namespace exitlens::pml {

class PmlReader;

// Fills event.operation, path and (for the operations whose layout is decoded) detail from the
// class-specific structure and the optional extra-detail structure. Never reads outside the two
// cursors; a structure shorter than its operation needs leaves detailDecoded false.
void decodeDetail(const PmlReader& reader, ByteCursor detail, ByteCursor extra, bool hasExtra, PmlEvent& event);

} // namespace exitlens::pml
