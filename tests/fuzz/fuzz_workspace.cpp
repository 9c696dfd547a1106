// Workspace files (from colleagues, from git): the bytes as loadWorkspace reads them (parse, depth check), then
// workspaceFromJson.
// What loads must save and load again unchanged: a workspace that cannot be reopened after a save loses work.
#include "FuzzTarget.h"
#include "models/JsonDepth.h"
#include "models/Workspace.h"

using namespace fd;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const Json j = Json::parse(data, data + size, nullptr, false);
    if (j.is_discarded())
        return 0;
    Workspace w;
    try {
        checkJsonDepth(fuzz::text(data, size));
        w = workspaceFromJson(j);
    } catch (const Error &) {
        return 0;
    }
    const Json saved = workspaceToJson(w);
    Json again;
    try {
        again = workspaceToJson(workspaceFromJson(Json::parse(saved.dump(2))));
    } catch (const Error &e) {
        std::fprintf(stderr, "reload: %s\n", e.what());
        fuzz::check(false, "a saved workspace does not load again");
    }
    fuzz::check(again == saved, "a saved workspace loads differently");
    return 0;
}
