package io.defenderalertroutes.emulator;

import static io.defenderalertroutes.emulator.EmulatorHttp.CLIENT_ID;
import static io.defenderalertroutes.emulator.EmulatorHttp.CLIENT_SECRET;
import static io.defenderalertroutes.emulator.EmulatorHttp.TENANT;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** An emulator of its own for each test, with the test tenant's client registered, and a client to call it. */
abstract class EmulatorTest {

    protected DefenderEmulator emulator;
    protected EmulatorHttp http;

    @BeforeEach
    void startEmulator() {
        emulator = DefenderEmulator.start(0);
        emulator.registerClient(TENANT, CLIENT_ID, CLIENT_SECRET);
        http = new EmulatorHttp(emulator);
    }

    @AfterEach
    void stopEmulator() {
        emulator.close();
    }
}
