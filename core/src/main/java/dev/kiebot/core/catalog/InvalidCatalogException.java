package dev.kiebot.core.catalog;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when catalog data is invalid; the message lists every problem, one per line. */
public final class InvalidCatalogException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<CatalogProblem> problems;

    /**
     * A refusal listing every problem.
     *
     * @param problems what {@link Catalog#validate} found; copied
     */
    public InvalidCatalogException(List<CatalogProblem> problems) {
        super("The model catalog is invalid (" + problems.size() + " problem(s)); fix the models given to Catalog.of "
                + "(kiebot's runner: the files in models/) and start again:\n"
                + problems.stream().map(p -> "  - " + p).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    /**
     * The problems, each with where it is.
     *
     * @return as given
     */
    public List<CatalogProblem> problems() {
        return problems;
    }
}
