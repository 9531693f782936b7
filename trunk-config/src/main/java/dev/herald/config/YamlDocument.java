package dev.herald.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/*
 * Design note: Jackson reads the YAML into a tree; the schema walks the tree. Jackson's binding is
 * not used for errors because it stops at the first. Three parser settings keep the tree honest:
 * - STRICT_DUPLICATE_DETECTION: otherwise a key given twice silently keeps the last value.
 * - PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS: otherwise YAML 1.1 turns yes/no/on/off into booleans,
 *   so `trace: yes` would pass by guesswork and a domain named "on" would become true.
 * - aliases are refused (AliasRefusingParser): Jackson reads `*name` as the string "name" rather
 *   than the anchored value, which would be a silent misreading.
 * SnakeYAML's own exception is read for syntax errors because its problem mark says where the
 * problem is; Jackson's location is where the parser was, sometimes lines earlier.
 */

/** Parses YAML text into a tree, turning syntax errors into problems. */
final class YamlDocument {

  private static final YAMLMapper MAPPER =
      YAMLMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
          .build();

  /** Jackson's message for a duplicate key, before the key's name. */
  private static final String DUPLICATE_FIELD = "Duplicate field '";

  private YamlDocument() {}

  /**
   * The tree of {@code yaml}'s one document: a {@link MissingNode} when there is no content, or
   * null after adding the syntax problem to {@code problems}.
   */
  static JsonNode read(String yaml, Problems problems) {
    try (JsonParser parser = new AliasRefusingParser(MAPPER.createParser(yaml))) {
      JsonNode root = MAPPER.readTree(parser);
      if (root == null) {
        return MissingNode.getInstance();
      }
      if (parser.nextToken() != null) {
        problems.add(
            "",
            at(parser.currentTokenLocation())
                + "a second YAML document starts here; Herald reads one document per file");
        return null;
      }
      return root;
    } catch (JsonProcessingException e) {
      addSyntaxProblem(e, problems);
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("reading YAML from a String failed", e);
    }
  }

  private static void addSyntaxProblem(JsonProcessingException e, Problems problems) {
    String message = e.getOriginalMessage();
    if (e.getCause() instanceof MarkedYAMLException yaml) {
      problems.add("", at(yaml.getProblemMark()) + describe(yaml));
    } else if (message.startsWith(DUPLICATE_FIELD)
        && e.getProcessor() instanceof JsonParser parser) {
      // The parser stops on the second occurrence, so its context is the duplicated key.
      problems.add(
          path(parser.getParsingContext()), "duplicate key (" + position(e.getLocation()) + ")");
    } else {
      problems.add("", at(e.getLocation()) + message);
    }
  }

  /** SnakeYAML's problem, with the construct it was reading when that is elsewhere. */
  private static String describe(MarkedYAMLException e) {
    String problem = e.getProblem() == null ? "not valid YAML" : e.getProblem();
    if (e.getContext() == null) {
      return problem;
    }
    Mark context = e.getContextMark();
    return problem
        + " ("
        + e.getContext()
        + (context == null
            ? ""
            : " at line " + (context.getLine() + 1) + ", column " + (context.getColumn() + 1))
        + ")";
  }

  private static String at(Mark mark) {
    // SnakeYAML counts lines and columns from 0; editors count from 1.
    return mark == null
        ? ""
        : "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": ";
  }

  private static String at(JsonLocation location) {
    return location == null ? "" : position(location) + ": ";
  }

  private static String position(JsonLocation location) {
    return "line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  /** The validator's path ({@code listeners[0].port}) of the parser's position. */
  private static String path(JsonStreamContext context) {
    if (context == null || context.inRoot()) {
      return "";
    }
    String parent = path(context.getParent());
    if (context.inArray()) {
      return YamlPath.index(parent, context.getCurrentIndex());
    }
    return context.getCurrentName() == null
        ? parent
        : YamlPath.key(parent, context.getCurrentName());
  }

  /** Fails on a YAML alias ({@code *name}), which Jackson would read as the string "name". */
  private static final class AliasRefusingParser extends JsonParserDelegate {

    AliasRefusingParser(JsonParser yaml) {
      super(yaml);
    }

    @Override
    public JsonToken nextToken() throws IOException {
      JsonToken token = delegate.nextToken();
      if (delegate instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
        throw new JsonParseException(
            this,
            "YAML aliases (*" + yaml.getText() + ") are not supported; write the value out in full",
            yaml.currentTokenLocation());
      }
      return token;
    }

    // JsonParserDelegate passes nextValue() straight through, which would skip the check above.
    @Override
    public JsonToken nextValue() throws IOException {
      JsonToken token = nextToken();
      return token == JsonToken.FIELD_NAME ? nextToken() : token;
    }
  }
}
