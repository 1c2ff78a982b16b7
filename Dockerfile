# syncd as a container: slim, non-root, configuration and state as volumes.
#   docker build -t syncd .
#   docker run -d --name syncd \
#     -v $PWD/config/syncd.yaml:/etc/syncd/syncd.yaml:ro -v syncd-state:/var/lib/syncd \
#     --env-file syncd.env -p 127.0.0.1:9464:9464 syncd
# In the config, set `state_path: /var/lib/syncd/syncd.db`.
FROM python:3.11-slim AS build
WORKDIR /src
COPY setup.py setup.cfg README.md ./
COPY syncd ./syncd
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
RUN useradd --system --uid 10001 --home-dir /var/lib/syncd --shell /usr/sbin/nologin syncd \
    && mkdir -p /etc/syncd /var/lib/syncd && chown syncd:syncd /var/lib/syncd && chmod 0700 /var/lib/syncd
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
USER syncd
WORKDIR /var/lib/syncd
ENV SYNCD_CONFIG=/etc/syncd/syncd.yaml PYTHONUNBUFFERED=1
VOLUME ["/var/lib/syncd"]
EXPOSE 9464
STOPSIGNAL SIGTERM
# --metrics-host 0.0.0.0 inside the container only; publish the port on 127.0.0.1 on the host.
ENTRYPOINT ["syncd"]
CMD ["run", "--metrics-port", "9464", "--metrics-host", "0.0.0.0"]
