package io.defenderalertroutes.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.defenderalertroutes.auth.CloudPreset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CloudSettingsTest {

    @ParameterizedTest
    @CsvSource({
            "commercial, https://login.microsoftonline.com, https://api.security.microsoft.com, https://api.securitycenter.microsoft.com/.default",
            "gcc, https://login.microsoftonline.com, https://api-gcc.securitycenter.microsoft.us, https://api-gcc.securitycenter.microsoft.us/.default",
            "GCC-High, https://login.microsoftonline.us, https://api-gov.securitycenter.microsoft.us, https://api-gov.securitycenter.microsoft.us/.default",
            "dod, https://login.microsoftonline.us, https://api-gov.securitycenter.microsoft.us, https://api-gov.securitycenter.microsoft.us/.default"})
    void presetsSetAuthorityApiAndScope(String name, String authority, String api, String scope) {
        CloudPreset preset = CloudPreset.byKey(name);
        assertEquals(authority, preset.authorityUrl());
        assertEquals(api, preset.apiUrl());
        assertEquals(scope, preset.scope());
    }

    @Test
    void unknownCloudIsNull() {
        assertEquals(null, CloudPreset.byKey("china"));
    }
}
