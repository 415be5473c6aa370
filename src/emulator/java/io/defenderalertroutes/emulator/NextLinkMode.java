package io.defenderalertroutes.emulator;

/**
 * How the emulator writes {@code @odata.nextLink}. Users report that MDE often leaves it out, and sometimes
 * sends one that never advances; a poller has to survive both, so both can be reproduced.
 */
public enum NextLinkMode {
    /** Never write a nextLink, as users most often report. The default. */
    NONE,
    /** When more results remain, link to the same query with {@code $skip} advanced by one page. */
    PROPER,
    /** When more results than one page exist, always link to {@code $skip=<page size>}: following it never ends. */
    STUCK
}
