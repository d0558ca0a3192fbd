package io.tokenhost.host.core;

import io.tokenhost.api.DelegationTokenProvider;
import io.tokenhost.api.ServiceStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The registered providers by service name, each name's in arrival order: the first is in charge,
 * the rest are duplicates waiting, in order, to take over when it leaves. Not thread-safe: used
 * only under the manager's lock.
 */
final class ProviderRegistry {

    private final Map<String, List<ProviderSlot>> byService = new TreeMap<>();

    /** @return the slot in charge of the new slot's service, if it is not the new slot itself */
    Optional<ProviderSlot> add(ProviderSlot slot) {
        List<ProviderSlot> slots = byService.computeIfAbsent(slot.service(), s -> new ArrayList<>());
        slots.add(slot);
        return slots.size() > 1 ? Optional.of(slots.get(0)) : Optional.empty();
    }

    /** Removes the provider's slot, if it has one. */
    Optional<Removal> remove(DelegationTokenProvider provider) {
        for (List<ProviderSlot> slots : byService.values()) {
            for (int i = 0; i < slots.size(); i++) {
                ProviderSlot slot = slots.get(i);
                if (slot.provider() == provider) {
                    slots.remove(i);
                    if (slots.isEmpty()) {
                        byService.remove(slot.service());
                    }
                    boolean wasInCharge = i == 0;
                    return Optional.of(new Removal(slot, wasInCharge,
                            wasInCharge && !slots.isEmpty() ? Optional.of(slots.get(0)) : Optional.empty()));
                }
            }
        }
        return Optional.empty();
    }

    Optional<ProviderSlot> inCharge(String service) {
        return Optional.ofNullable(byService.get(service)).map(slots -> slots.get(0));
    }

    /** The slot in charge of each service, by service name. */
    List<ProviderSlot> inCharge() {
        return byService.values().stream().map(slots -> slots.get(0)).toList();
    }

    /** The service names with a provider, sorted. */
    List<String> services() {
        return List.copyOf(byService.keySet());
    }

    /** Every slot's status, by service name, then in arrival order. */
    List<ServiceStatus> statuses() {
        return byService.values().stream().flatMap(List::stream).map(ProviderSlot::status).toList();
    }

    /**
     * A slot taken out of the registry.
     *
     * @param successor the duplicate now in charge in its place, if it was in charge
     */
    record Removal(ProviderSlot slot, boolean wasInCharge, Optional<ProviderSlot> successor) {
    }
}
