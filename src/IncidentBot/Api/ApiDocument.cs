using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace IncidentBot.Api;

/// <summary>
/// The OpenAPI document of the REST API and the health endpoints, at <c>/openapi/v1.json</c>, built from the endpoints
/// themselves: their routes, parameters, request records and typed results. Slack's own endpoints and <c>/metrics</c>
/// are not part of it.
/// </summary>
public static class ApiDocument
{
    public const string Path = "/openapi/v1.json";
    private const string BearerScheme = "bearer";

    public static IHostApplicationBuilder AddApiDocument(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(options =>
        {
            options.ShouldInclude = description => description.RelativePath is { } path
                && (path.StartsWith("api/", StringComparison.Ordinal) || path is "healthz" or "readyz");
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "IncidentBot",
                    Version = "v1",
                    Description = "Declare, read, change and follow incidents; ask the assistant. Errors are RFC 9457 problem details.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = BearerScheme,
                    Description = "A key from Api:Keys, as 'Authorization: Bearer <key>'.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                if (context.Description.ActionDescriptor.EndpointMetadata.OfType<RequiresApiKey>().Any())
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement
                    {
                        [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [],
                    });
                }

                return Task.CompletedTask;
            });
        });
        return builder;
    }

    /// <summary>What any <c>/api</c> call may answer besides its result: a bad parameter, a missing key, no such incident.</summary>
    internal static TBuilder ProducesApiProblems<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

    /// <summary>What a call with a JSON body may answer besides: a body over the limit, or not JSON.</summary>
    internal static RouteHandlerBuilder ProducesBodyProblems(this RouteHandlerBuilder builder) =>
        builder.ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

    public static IEndpointRouteBuilder MapApiDocument(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi(Path);
        return app;
    }
}
