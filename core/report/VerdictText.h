#pragma once

#include "diagnosis/Verdict.h"

#include <string>

namespace exitlens {

// A verdict as text for people: the CLI's end-of-run block, `exitlens report`, and the GUI's
// "Copy as Markdown". Child verdicts are nested under their parent.
class VerdictText {
public:
    static std::string plain(const Verdict& verdict);
    static std::string markdown(const Verdict& verdict);
    // The same without the heading and category line: explanation, evidence, what to do and the
    // child verdicts, for a caller that writes its own header (the window adds the launch context).
    static std::string markdownBody(const Verdict& verdict);
};

} // namespace exitlens
