# syntax=docker/dockerfile:1
# IncidentBot in a container: built with the .NET SDK, run on the ASP.NET Core runtime as a non-root user.
#   docker build -t incidentbot .
#   docker run -p 127.0.0.1:8080:8080 -v incidentbot-data:/var/lib/incidentbot -e Slack__BotToken=… incidentbot

# The SDK runs on the machine that builds; -a $TARGETARCH publishes for the image's architecture, with only the native
# libraries (SQLite, ONNX Runtime) of linux on that architecture: 140 MB instead of 312 MB for every platform.
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TARGETARCH
WORKDIR /src
# The project files first, so the restore layer is reused until a dependency changes.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/IncidentBot.Slack/IncidentBot.Slack.csproj src/IncidentBot.Slack/
COPY src/IncidentBot/IncidentBot.csproj src/IncidentBot/
RUN dotnet restore src/IncidentBot/IncidentBot.csproj -a $TARGETARCH
COPY src/ src/
RUN dotnet publish src/IncidentBot/IncidentBot.csproj -a $TARGETARCH --configuration Release --no-restore --output /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# curl for the health check; the runtime image has none.
RUN apt-get update \
    && apt-get install --yes --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /var/lib/incidentbot \
    && chown "$APP_UID" /var/lib/incidentbot
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_HTTP_PORTS=8080 \
    Storage__ConnectionString="Data Source=/var/lib/incidentbot/incidentbot.db"
# The SQLite file and its WAL live here; keep it on a volume so an upgrade or a new container keeps the incidents.
VOLUME /var/lib/incidentbot
EXPOSE 8080
USER $APP_UID
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD curl --fail --silent --output /dev/null http://localhost:8080/readyz || exit 1
ENTRYPOINT ["dotnet", "IncidentBot.dll"]
