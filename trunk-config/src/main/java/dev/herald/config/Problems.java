package dev.herald.config;

import java.util.ArrayList;
import java.util.List;

/** The problems found so far, in the order the validator met them, which is document order. */
final class Problems {

  private final List<ConfigProblem> found = new ArrayList<>();

  void add(String path, String message) {
    found.add(new ConfigProblem(path, message));
  }

  boolean isEmpty() {
    return found.isEmpty();
  }

  int size() {
    return found.size();
  }

  List<ConfigProblem> list() {
    return List.copyOf(found);
  }

  @Override
  public String toString() {
    return found.toString();
  }
}
