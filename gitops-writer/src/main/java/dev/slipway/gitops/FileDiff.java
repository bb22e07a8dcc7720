package dev.slipway.gitops;

/**
 * What a change does to one file, against the branch: {@code patch} is a unified diff
 * ({@code --- a/path}, {@code +++ b/path}, or {@code /dev/null} for a side that does not exist, hunks), empty
 * when the file is unchanged.
 */
public record FileDiff(String path, Kind kind, String patch) {

    public enum Kind { ADDED, MODIFIED, DELETED, UNCHANGED }
}
