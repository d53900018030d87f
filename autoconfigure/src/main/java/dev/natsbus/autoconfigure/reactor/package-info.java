/**
 * Auto-configuration of the reactive view of the bus, where Reactor is on the class path.
 */
@NullMarked
package dev.natsbus.autoconfigure.reactor;

import org.jspecify.annotations.NullMarked;
