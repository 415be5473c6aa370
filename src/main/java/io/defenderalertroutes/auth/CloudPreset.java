package io.defenderalertroutes.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where a tenant signs in and which Defender for Endpoint, Defender XDR and Microsoft Graph hosts it calls. GCC keeps
 * the commercial sign-in and Graph; GCC High and DoD sign in on the US Government cloud and share the government API
 * hosts, with Graph at L4 and L5 (DoD) respectively. None of the APIs is offered in the China cloud.
 */
public enum CloudPreset {
    COMMERCIAL("commercial", "https://login.microsoftonline.com",
            "https://api.security.microsoft.com", "https://api.securitycenter.microsoft.com/.default",
            "https://graph.microsoft.com", "https://api.security.microsoft.com"),
    GCC("gcc", "https://login.microsoftonline.com",
            "https://api-gcc.securitycenter.microsoft.us", "https://api-gcc.securitycenter.microsoft.us/.default",
            "https://graph.microsoft.com", "https://api-gcc.security.microsoft.us"),
    GCC_HIGH("gcc-high", "https://login.microsoftonline.us",
            "https://api-gov.securitycenter.microsoft.us", "https://api-gov.securitycenter.microsoft.us/.default",
            "https://graph.microsoft.us", "https://api-gov.security.microsoft.us"),
    DOD("dod", "https://login.microsoftonline.us",
            "https://api-gov.securitycenter.microsoft.us", "https://api-gov.securitycenter.microsoft.us/.default",
            "https://dod-graph.microsoft.us", "https://api-gov.security.microsoft.us");

    private final String key;
    private final String authorityUrl;
    private final String apiUrl;
    private final String scope;
    private final String graphUrl;
    private final String xdrUrl;

    CloudPreset(String key, String authorityUrl, String apiUrl, String scope, String graphUrl, String xdrUrl) {
        this.key = key;
        this.authorityUrl = authorityUrl;
        this.apiUrl = apiUrl;
        this.scope = scope;
        this.graphUrl = graphUrl;
        this.xdrUrl = xdrUrl;
    }

    public String key() {
        return key;
    }

    public String authorityUrl() {
        return authorityUrl;
    }

    public String apiUrl() {
        return apiUrl;
    }

    public String scope() {
        return scope;
    }

    /** Microsoft Graph in this cloud (global, US Government L4, L5 DoD). */
    public String graphUrl() {
        return graphUrl;
    }

    public String graphScope() {
        return graphUrl + "/.default";
    }

    /** The Defender XDR API (incidents) in this cloud; its tokens are for this host's own resource. */
    public String xdrUrl() {
        return xdrUrl;
    }

    public String xdrScope() {
        return xdrUrl + "/.default";
    }

    /** @return the preset, or null when the name is not one of ours */
    public static CloudPreset byKey(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(p -> p.key.equals(wanted)).findFirst().orElse(null);
    }

    public static String keys() {
        return Arrays.stream(values()).map(CloudPreset::key).collect(Collectors.joining(", "));
    }
}
