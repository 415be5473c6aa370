package io.defenderalertroutes.testsupport;

/** The two ways an application runs the bundle's flow: the bundle itself, or a route starting from its Kamelet. */
public enum EntryPoint {
    BUNDLE,
    KAMELET
}
