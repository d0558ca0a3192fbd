package io.tokenhost.host.shell;

import io.tokenhost.api.ReceiverStatus;
import io.tokenhost.api.ServiceStatus;
import io.tokenhost.host.core.ReceivedService;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Receivers waiting for a service nothing serves: no provider here offers it and no manager sent
 * it. Usually a typo in a {@code service.name}, or a provider plugin that is missing or broken.
 */
final class UnservedReceivers {

    private UnservedReceivers() {
    }

    /** One line per such receiver, naming its service and bundle. */
    static List<String> find(List<ReceiverStatus> receivers, List<ServiceStatus> services,
            List<ReceivedService> received) {
        Set<String> served = new HashSet<>();
        services.forEach(s -> served.add(s.serviceName()));
        received.forEach(r -> served.add(r.service()));
        List<String> unserved = new ArrayList<>();
        for (ReceiverStatus receiver : receivers) {
            if (!served.contains(receiver.serviceName())) {
                unserved.add("receiver of service '" + receiver.serviceName() + "' (" + receiver.origin()
                        + ") has no provider: no provider here offers that service and no manager sent it");
            }
        }
        return unserved;
    }
}
