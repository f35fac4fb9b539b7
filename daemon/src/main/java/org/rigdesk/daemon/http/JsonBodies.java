package org.rigdesk.daemon.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.rigdesk.api.wire.Json;

/**
 * Reads request bodies strictly (one JSON value, no duplicate keys, no unknown fields, no type
 * coercion, no fractions for whole numbers, no unpaired surrogates) and says what is wrong in the
 * API's own words: the field, what it must be and what came, never a Java class name.
 */
final class JsonBodies {

    private static final ObjectMapper MAPPER = Json.mapper().copy();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(32).maxStringLength(Exchange.MAX_BODY_BYTES).build());
        MAPPER.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        MAPPER.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        MAPPER.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        // Strict types: 1 is not a string and "1" is not a number.
        MAPPER.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
        for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean)) {
            MAPPER.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        MAPPER.registerModule(new SimpleModule("rigdesk-strict-text").addDeserializer(String.class, new UnicodeText()));
    }

    private JsonBodies() {
    }

    static <T> T read(byte[] bytes, Class<T> type) {
        T value;
        try {
            value = MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            throw ApiException.badRequest(describe(bytes, e));
        }
        if (value == null) {
            throw ApiException.badRequest("the JSON body must be an object, not null");
        }
        return value;
    }

    /** The problem's detail for a body Jackson refused. */
    private static String describe(byte[] bytes, IOException e) {
        List<JsonMappingException.Reference> references = e instanceof JsonMappingException mapping
                ? mapping.getPath() : List.of();
        String field = path(references);
        Throwable cause = e.getCause();
        if (e instanceof UnrecognizedPropertyException unknown) {
            String parent = path(references.subList(0, Math.max(0, references.size() - 1)));
            return "unknown field '" + unknown.getPropertyName() + "'" + (parent.isEmpty() ? "" : " in " + parent)
                    + "; the fields are: " + names(unknown.getKnownPropertyIds());
        }
        if (cause instanceof UnpairedSurrogate surrogate) {
            return field + " must be Unicode text: " + surrogate.getMessage();
        }
        if (e instanceof InputCoercionException || cause instanceof InputCoercionException) {
            return (field.isEmpty() ? "a number" : field) + " is out of range" + got(bytes, references);
        }
        if (e instanceof MismatchedInputException mismatch && String.valueOf(mismatch.getMessage()).startsWith("Trailing token")) {
            return "the body must be one JSON value; more follows it at " + where(mismatch.getLocation());
        }
        if (e instanceof MismatchedInputException mismatch && (!field.isEmpty() || mismatch.getTargetType() != null)) {
            return (field.isEmpty() ? "the JSON body" : field) + " must be " + kind(mismatch.getTargetType())
                    + got(bytes, references);
        }
        String message = e instanceof JsonProcessingException processing ? processing.getOriginalMessage() : e.getMessage();
        JsonLocation location = e instanceof JsonProcessingException processing ? processing.getLocation() : null;
        return "malformed JSON" + (location == null ? "" : " at " + where(location)) + ": " + firstLine(message);
    }

    /** What the body held at the refused place, read again as a tree (only on a refusal). */
    private static String got(byte[] bytes, List<JsonMappingException.Reference> references) {
        JsonNode node;
        try {
            node = MAPPER.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(bytes);
        } catch (IOException e) {
            return "";
        }
        for (JsonMappingException.Reference reference : references) {
            node = reference.getFieldName() != null ? node.get(reference.getFieldName()) : node.get(reference.getIndex());
            if (node == null) {
                return "";
            }
        }
        return ", got " + switch (node.getNodeType()) {
            case OBJECT, POJO -> "an object";
            case ARRAY -> "an array";
            case STRING -> "text " + ApiException.quote(node.asText());
            case NULL, MISSING -> "null";
            default -> ApiException.shorten(node.asText());
        };
    }

    /** "cpus", "env.NAME", "gpus[2]": how a user names the place in the body. */
    private static String path(List<JsonMappingException.Reference> references) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                out.append(out.length() == 0 ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                out.append('[').append(reference.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static String kind(Class<?> type) {
        if (type == null) {
            return "a different value";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class || type.isEnum()) {
            return "text";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private static String names(Collection<Object> ids) {
        return ids.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
    }

    private static String where(JsonLocation location) {
        return location == null ? "?" : "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    /** Text with a lone surrogate (a "\ud800" escape) cannot be written as UTF-8 without losing it. */
    private static final class UnicodeText extends StringDeserializer {

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = super.deserialize(parser, context);
            if (text != null) {
                for (int i = 0; i < text.length(); i++) {
                    char c = text.charAt(i);
                    if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                        i++;
                    } else if (Character.isSurrogate(c)) {
                        throw JsonMappingException.from(parser, "", new UnpairedSurrogate(c, i));
                    }
                }
            }
            return text;
        }
    }

    private static final class UnpairedSurrogate extends IOException {
        UnpairedSurrogate(char c, int index) {
            super(String.format("an unpaired surrogate \\u%04x at character %d", (int) c, index));
        }
    }

}
