package dev.slipway.templates;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The files to write to the GitOps repository, and nothing else. A path is relative, uses '/',
 * has no '.' or '..' segments, and lies under {@code clusters/} or {@code services/}: whatever a
 * template or a parameter says, a ChangeSet cannot reach another part of the repository.
 */
public record ChangeSet(List<File> files) {

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    public record File(String path, String content) {
        public File {
            checkPath(path);
            if (content == null) {
                throw new IllegalArgumentException("file " + path + " has no content");
            }
        }
    }

    public ChangeSet {
        var byPath = new LinkedHashMap<String, File>();
        for (File file : files) {
            if (byPath.put(file.path(), file) != null) {
                throw new IllegalArgumentException("the change set writes " + file.path() + " twice");
            }
        }
        files = List.copyOf(files);
    }

    public Map<String, String> asMap() {
        var map = new LinkedHashMap<String, String>();
        files.forEach(f -> map.put(f.path(), f.content()));
        return map;
    }

    public ChangeSet plus(ChangeSet other) {
        var all = new ArrayList<>(files);
        all.addAll(other.files);
        return new ChangeSet(all);
    }

    static void checkPath(String path) {
        if (path == null || path.isEmpty() || path.length() > 512) {
            throw new IllegalArgumentException("a file path must have 1 to 512 characters");
        }
        String[] segments = path.split("/", -1);
        if (!segments[0].equals("clusters") && !segments[0].equals("services")) {
            throw new IllegalArgumentException("refusing to write " + path + ": only clusters/ and services/ are Slipway's");
        }
        if (segments.length < 2) {
            throw new IllegalArgumentException("refusing to write the directory " + path);
        }
        for (String segment : segments) {
            if (!SEGMENT.matcher(segment).matches() || segment.equals("..") || segment.contains("..")) {
                throw new IllegalArgumentException("refusing to write " + path + ": segment '" + segment + "' is not allowed");
            }
        }
    }
}
