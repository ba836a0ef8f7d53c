package structura.api.backend;

import java.util.concurrent.atomic.AtomicInteger;
import structura.api.ErrorCode;
import structura.api.StructuraException;
import structura.api.internal.reference.ReferenceBackend;

/** A configurable provider for selection tests: availability, priority and what open() does. */
class FakeProvider implements BackendProvider {
  private final String id;
  private final int priority;
  private final Availability availability;
  private final Throwable openFailure;
  final AtomicInteger opened = new AtomicInteger();

  FakeProvider(String id, int priority, Availability availability, Throwable openFailure) {
    this.id = id;
    this.priority = priority;
    this.availability = availability;
    this.openFailure = openFailure;
  }

  static FakeProvider available(String id, int priority) {
    return new FakeProvider(id, priority, Availability.available(id + " detail"), null);
  }

  static FakeProvider unavailable(String id, int priority, String reason) {
    return new FakeProvider(id, priority, Availability.unavailable(reason, "install the " + id + " driver"), null);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String displayName() {
    return "Fake " + id;
  }

  @Override
  public int priority() {
    return priority;
  }

  @Override
  public Availability probe() {
    return availability;
  }

  @Override
  public Backend open(BackendConfig config) {
    opened.incrementAndGet();
    if (openFailure instanceof Error e) {
      throw e;
    }
    if (openFailure instanceof RuntimeException e) {
      throw e;
    }
    if (openFailure != null) {
      throw new StructuraException(ErrorCode.BACKEND_FAILED, "checked failure", "", openFailure);
    }
    ReferenceBackend delegate = new ReferenceBackend();
    return new Backend() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public String describe() {
        return "fake " + id;
      }

      @Override
      public java.util.Optional<GemmRoutine> gemm() {
        return delegate.gemm();
      }

      @Override
      public void close() {}
    };
  }
}
