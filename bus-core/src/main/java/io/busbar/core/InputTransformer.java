package io.busbar.core;

import java.util.Map;

/** Placeholder until the input-transformation work lands. */
public record InputTransformer(Map<String, String> inputPathsMap, String inputTemplate) {
}
