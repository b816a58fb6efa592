using GenomeNode.Passport.Issuing;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace GenomeNode.Broker.Keys;

/// <summary>
/// OpenIddict reads its signing keys from its options, fixed when they are built; the node's key ring rotates at run
/// time (<c>genome-node keys rotate</c>). These handlers, each right after OpenIddict's own, take the keys from the ring
/// at every use instead: tokens are signed with <see cref="INodeSigningKeys.Current"/> (and the ring told until when the
/// key must stay published), tokens are verified with every key still published, and the JWKS lists those keys.
/// </summary>
internal static class NodeKeyHandlers
{
    public static IEnumerable<OpenIddictServerHandlerDescriptor> Descriptors { get; } =
    [
        OpenIddictServerHandlerDescriptor.CreateBuilder<GenerateTokenContext>()
            .UseSingletonHandler<SignWithCurrentKey>()
            .SetOrder(OpenIddictServerHandlers.Protection.AttachSecurityCredentials.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build(),
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .UseSingletonHandler<VerifyWithPublishedKeys>()
            .SetOrder(OpenIddictServerHandlers.Protection.ResolveTokenValidationParameters.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build(),
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleJsonWebKeySetRequestContext>()
            .UseSingletonHandler<PublishKeyRing>()
            .SetOrder(OpenIddictServerHandlers.Discovery.AttachSigningKeys.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build(),
    ];

    internal sealed class SignWithCurrentKey(INodeSigningKeys keys, TimeProvider time) : IOpenIddictServerHandler<GenerateTokenContext>
    {
        public ValueTask HandleAsync(GenerateTokenContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            var current = keys.Current;
            context.SigningCredentials = current;
            var expires = context.Principal.GetExpirationDate() ?? time.GetUtcNow().AddDays(1);
            keys.RecordSigned(current.Kid ?? current.Key.KeyId, expires);
            return ValueTask.CompletedTask;
        }
    }

    internal sealed class VerifyWithPublishedKeys(INodeSigningKeys keys) : IOpenIddictServerHandler<ValidateTokenContext>
    {
        public ValueTask HandleAsync(ValidateTokenContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            // A copy: the parameters may be shared with OpenIddict's options.
            var parameters = context.TokenValidationParameters.Clone();
            parameters.IssuerSigningKeys = [.. keys.Published];
            context.TokenValidationParameters = parameters;
            return ValueTask.CompletedTask;
        }
    }

    internal sealed class PublishKeyRing(INodeSigningKeys keys) : IOpenIddictServerHandler<HandleJsonWebKeySetRequestContext>
    {
        public ValueTask HandleAsync(HandleJsonWebKeySetRequestContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            context.Keys.Clear();
            foreach (var key in keys.Published)
            {
                context.Keys.Add(PublicOnly(key));
            }

            return ValueTask.CompletedTask;
        }

        private static JsonWebKey PublicOnly(JsonWebKey key) => new()
        {
            Kty = key.Kty,
            Kid = key.Kid,
            Use = string.IsNullOrEmpty(key.Use) ? JsonWebKeyUseNames.Sig : key.Use,
            Alg = string.IsNullOrEmpty(key.Alg) ? SecurityAlgorithms.RsaSha256 : key.Alg,
            N = key.N,
            E = key.E,
        };
    }
}
