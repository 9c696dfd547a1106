#pragma once
#include <string>
#include <vector>
class QLabel;
class QWidget;

namespace fd {

// What a source says about a result beside its rows (failed shards, a partial answer, groups left out,
// warnings) in an amber label under the status, so that a partial result never passes for a whole one;
// hidden while there is nothing to say.
QLabel *makeNotesLabel(QWidget *parent);
void showNotes(QLabel *label, const std::vector<std::string> &notes);

} // namespace fd
