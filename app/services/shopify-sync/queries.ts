/**
 * The Admin GraphQL documents catalog sync and order backfill send (API version in
 * admin-api.server.ts). Page sizes keep each query under Shopify's 1,000-point cost limit:
 * 20 products x 40 variants is about 820 points.
 */
export const PRODUCTS_PER_PAGE = 20;
export const VARIANTS_PER_PRODUCT_PAGE = 40;
export const VARIANTS_PER_PAGE = 100;

export const SHOP_QUERY = `#graphql
  query UpshelfShop {
    shop { name currencyCode ianaTimezone }
    productsCount { count }
  }`;

const VARIANT_FIELDS = `legacyResourceId title sku price compareAtPrice inventoryQuantity inventoryPolicy inventoryItem { tracked }`;

export const PRODUCTS_QUERY = `#graphql
  query UpshelfProducts($first: Int!, $after: String, $variantsFirst: Int!) {
    products(first: $first, after: $after, sortKey: ID) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id legacyResourceId handle title descriptionHtml productType vendor tags status publishedAt
        featuredMedia { preview { image { url } } }
        variants(first: $variantsFirst) {
          pageInfo { hasNextPage endCursor }
          nodes { ${VARIANT_FIELDS} }
        }
      }
    }
  }`;

/** The rest of a product's variants when it has more than one page's worth. */
export const PRODUCT_VARIANTS_QUERY = `#graphql
  query UpshelfProductVariants($id: ID!, $first: Int!, $after: String) {
    product(id: $id) {
      variants(first: $first, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { ${VARIANT_FIELDS} }
      }
    }
  }`;

export const RUN_BULK_QUERY_MUTATION = `#graphql
  mutation UpshelfOrdersBackfill($query: String!) {
    bulkOperationRunQuery(query: $query) {
      bulkOperation { id status }
      userErrors { field message }
    }
  }`;

/**
 * The app's most recent bulk query operation for the shop, running or not, and the document it
 * was started with (`query`). Shopify runs a limited number of bulk queries per app and shop at a
 * time (one, as its refusal says, in the API version the app uses).
 */
export const CURRENT_BULK_OPERATION_QUERY = `#graphql
  query UpshelfCurrentBulkOperation {
    currentBulkOperation(type: QUERY) { id status query }
  }`;

export const BULK_OPERATION_QUERY = `#graphql
  query UpshelfBulkOperation($id: ID!) {
    node(id: $id) {
      ... on BulkOperation { id status errorCode objectCount rootObjectCount url partialDataUrl }
    }
  }`;

/**
 * The bulk query itself (a string Shopify runs). Connections use edges/node, as bulk queries
 * require; each line item becomes its own JSONL row carrying `__parentId` (its order's id).
 */
export function bulkOrdersQuery(createdSince: Date | null): string {
  // Test orders (Shopify's Bogus gateway, test mode) are not sales: they would teach the model and
  // inflate the dashboard. Terms separated by a space must all match.
  const search = [...(createdSince ? [`created_at:>=${createdSince.toISOString()}`] : []), "test:false"].join(" ");
  return `{
  orders(query: ${JSON.stringify(search)}) {
    edges {
      node {
        id name createdAt processedAt updatedAt cancelledAt currencyCode
        subtotalPriceSet { shopMoney { amount } }
        totalPriceSet { shopMoney { amount } }
        totalDiscountsSet { shopMoney { amount } }
        customer { id }
        customAttributes { key value }
        lineItems {
          edges {
            node {
              id title sku quantity
              product { legacyResourceId }
              variant { legacyResourceId }
              originalUnitPriceSet { shopMoney { amount } }
              discountAllocations { allocatedAmountSet { shopMoney { amount } } }
              customAttributes { key value }
            }
          }
        }
      }
    }
  }
}`;
}
