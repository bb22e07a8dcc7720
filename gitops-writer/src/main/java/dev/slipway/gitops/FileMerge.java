package dev.slipway.gitops;

/**
 * How a {@link FileWrite.Mode#MERGE} write combines what a file holds on the branch with the
 * change's content, at the moment the change is committed: a change that sets one value of a file
 * keeps whatever else someone committed to it meanwhile.
 */
@FunctionalInterface
public interface FileMerge {

    /** Refuses every merge: for writers whose changes never ask for one. */
    FileMerge NONE = (path, current, patch) -> {
        throw new IllegalArgumentException("this writer merges no files");
    };

    /**
     * @param current what the file holds on the branch
     * @param patch   the change's content
     * @return what the file is to hold
     * @throws IllegalArgumentException when the file cannot take the patch (it is no longer the kind of
     *                                  document the change expected): the change conflicts
     */
    String apply(String path, String current, String patch);
}
