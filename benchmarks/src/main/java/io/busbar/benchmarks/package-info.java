/**
 * JMH benchmarks of Busbar's hot paths, each run side by side with AWS's {@code event-ruler} as the comparator (a
 * {@code @Param engine}), on a named data set built in {@code @Setup}, with the two engines' match counts checked
 * against each other before anything is measured. One class per hot path; its javadoc gives the run command, and
 * {@code benchmarks/README.md} the full procedure.
 */
package io.busbar.benchmarks;
