package dev.slipway.templates;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Kubernetes' own name rules (k8s.io/apimachinery/pkg/util/validation), so that a name Slipway
 * accepts is one the API server accepts too. Each check returns the reasons a value is invalid,
 * worded for the person who typed it; an empty list means valid.
 */
public final class KubernetesNames {

    public static final int DNS1123_LABEL_MAX_LENGTH = 63;
    public static final int DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
    public static final int LABEL_VALUE_MAX_LENGTH = 63;
    public static final int QUALIFIED_NAME_MAX_LENGTH = 63;

    private static final String DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final Pattern DNS1123_LABEL = Pattern.compile(DNS1123_LABEL_FMT);
    private static final Pattern DNS1123_SUBDOMAIN =
            Pattern.compile(DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*");
    private static final Pattern DNS1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    private static final String QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private static final Pattern QUALIFIED_NAME = Pattern.compile(QUALIFIED_NAME_FMT);
    private static final Pattern LABEL_VALUE = Pattern.compile("(" + QUALIFIED_NAME_FMT + ")?");

    private KubernetesNames() {
    }

    /** Namespaces, most object names, and Slipway's team names. */
    public static List<String> dns1123Label(String value) {
        var errors = new ArrayList<String>();
        if (value.length() > DNS1123_LABEL_MAX_LENGTH) {
            errors.add(tooLong(DNS1123_LABEL_MAX_LENGTH));
        }
        if (!DNS1123_LABEL.matcher(value).matches()) {
            errors.add("must consist of lower case letters, digits or '-', and must start and end with a"
                    + " letter or digit (e.g. 'my-name' or '123-abc')");
        }
        return errors;
    }

    /** Kubernetes Service names, and so Slipway's service names: a DNS-1123 label starting with a letter. */
    public static List<String> dns1035Label(String value) {
        var errors = new ArrayList<String>();
        if (value.length() > DNS1123_LABEL_MAX_LENGTH) {
            errors.add(tooLong(DNS1123_LABEL_MAX_LENGTH));
        }
        if (!DNS1035_LABEL.matcher(value).matches()) {
            errors.add("must consist of lower case letters, digits or '-', must start with a letter and end"
                    + " with a letter or digit (e.g. 'my-name' or 'abc-123')");
        }
        return errors;
    }

    /** Host names and names of objects such as ConfigMaps. */
    public static List<String> dns1123Subdomain(String value) {
        var errors = new ArrayList<String>();
        if (value.length() > DNS1123_SUBDOMAIN_MAX_LENGTH) {
            errors.add(tooLong(DNS1123_SUBDOMAIN_MAX_LENGTH));
        }
        if (!DNS1123_SUBDOMAIN.matcher(value).matches()) {
            errors.add("must consist of lower case letters, digits, '-' or '.', and each part between dots"
                    + " must start and end with a letter or digit (e.g. 'example.com')");
        }
        return errors;
    }

    /** Values of labels, such as {@code app.kubernetes.io/part-of}; the empty value is valid. */
    public static List<String> labelValue(String value) {
        var errors = new ArrayList<String>();
        if (value.length() > LABEL_VALUE_MAX_LENGTH) {
            errors.add(tooLong(LABEL_VALUE_MAX_LENGTH));
        }
        if (!LABEL_VALUE.matcher(value).matches()) {
            errors.add("must be empty or consist of letters, digits, '-', '_' or '.', and must start and end"
                    + " with a letter or digit (e.g. 'MyValue' or 'my_value-12')");
        }
        return errors;
    }

    /** Keys of labels and annotations: an optional DNS-1123 subdomain prefix and '/', then a name. */
    public static List<String> qualifiedName(String value) {
        var errors = new ArrayList<String>();
        String[] parts = value.split("/", -1);
        String name;
        if (parts.length == 1) {
            name = parts[0];
        } else if (parts.length == 2) {
            String prefix = parts[0];
            name = parts[1];
            if (prefix.isEmpty()) {
                errors.add("prefix part must not be empty");
            } else {
                dns1123Subdomain(prefix).forEach(e -> errors.add("prefix part " + e));
            }
        } else {
            return List.of("must be a name with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
        }
        if (name.isEmpty()) {
            errors.add("name part must not be empty");
        } else {
            if (name.length() > QUALIFIED_NAME_MAX_LENGTH) {
                errors.add("name part " + tooLong(QUALIFIED_NAME_MAX_LENGTH));
            }
            if (!QUALIFIED_NAME.matcher(name).matches()) {
                errors.add("name part must consist of letters, digits, '-', '_' or '.', and must start and end"
                        + " with a letter or digit (e.g. 'MyName' or 'my.name')");
            }
        }
        return errors;
    }

    private static String tooLong(int max) {
        return "must be no more than " + max + " characters";
    }
}
